export function App() {
  return <main>Giao Ban</main>;
}
