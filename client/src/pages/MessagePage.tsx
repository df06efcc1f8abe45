import { PlainTopBar } from "../components/TopBar.tsx";

/** A simple page with one message and one way on (invalid link, unknown page). */
export function MessagePage({ title, body, link }: { title: string; body: string; link?: { href: string; label: string } }) {
  return (
    <div className="page page--narrow">
      <PlainTopBar />
      <main className="card message" id="main">
        <h1>{title}</h1>
        <p>{body}</p>
        {link && (
          <p>
            <a className="btn btn--primary" href={link.href}>
              {link.label}
            </a>
          </p>
        )}
      </main>
    </div>
  );
}
