// request: A search engine home page like a classic minimalist search site, with a search box, suggestions as you type, and a results view.
import React, { useState, useMemo } from 'react';

const INDEX = [
  { title: 'Learn TypeScript in an afternoon', url: 'https://example.com/ts', snippet: 'Types, interfaces and generics explained with examples.' },
  { title: 'React hooks reference', url: 'https://example.com/hooks', snippet: 'useState, useEffect, useMemo and friends.' },
  { title: 'Tailwind CSS cheat sheet', url: 'https://example.com/tailwind', snippet: 'Every utility class on one page.' },
  { title: 'Baking sourdough at home', url: 'https://example.com/bread', snippet: 'Starter, hydration and shaping for beginners.' },
  { title: 'Weather this week', url: 'https://example.com/weather', snippet: 'Sunny with a chance of afternoon storms.' },
];

export default function App() {
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState('');

  const suggestions = useMemo(
    () => (query.length < 2 ? [] : INDEX.filter((r) => r.title.toLowerCase().includes(query.toLowerCase())).slice(0, 4)),
    [query],
  );
  const results = INDEX.filter((r) => submitted && (r.title + r.snippet).toLowerCase().includes(submitted.toLowerCase()));

  const search = (e: React.FormEvent) => {
    e.preventDefault();
    setSubmitted(query.trim());
  };

  return (
    <div className="flex min-h-screen flex-col items-center bg-white px-4">
      <h1 className="mt-24 mb-8 text-6xl font-bold tracking-tight">
        <span className="text-blue-600">Fin</span><span className="text-red-500">d</span><span className="text-yellow-500">r</span>
      </h1>
      <form onSubmit={search} className="relative w-full max-w-xl" role="search">
        <input
          aria-label="Search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search the web"
          className="w-full rounded-full border border-gray-300 px-5 py-3 shadow-sm focus:outline-none focus:ring-2 focus:ring-blue-400"
        />
        {suggestions.length > 0 && submitted !== query && (
          <ul className="absolute z-10 mt-1 w-full rounded-lg border bg-white shadow">
            {suggestions.map((s) => (
              <li key={s.url}>
                <button type="button" onClick={() => { setQuery(s.title); setSubmitted(s.title); }} className="w-full px-5 py-2 text-left hover:bg-gray-100">
                  {s.title}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="mt-6 flex justify-center gap-3">
          <button type="submit" className="rounded bg-gray-100 px-4 py-2 text-sm hover:ring-1 hover:ring-gray-300">Search</button>
          <button type="button" onClick={() => { setQuery(''); setSubmitted(''); }} className="rounded bg-gray-100 px-4 py-2 text-sm">Clear</button>
        </div>
      </form>
      {submitted && (
        <section className="mt-10 w-full max-w-2xl" aria-live="polite">
          <p className="mb-4 text-sm text-gray-500">{results.length} result(s) for “{submitted}”</p>
          {results.map((r) => (
            <article key={r.url} className="mb-6">
              <p className="text-xs text-green-700">{r.url}</p>
              <h2 className="text-lg text-blue-700 hover:underline">{r.title}</h2>
              <p className="text-sm text-gray-700">{r.snippet}</p>
            </article>
          ))}
        </section>
      )}
    </div>
  );
}
