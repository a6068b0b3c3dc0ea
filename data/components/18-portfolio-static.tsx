// request: A simple one-page portfolio for a freelance photographer with an about section, a gallery and contact details.
import React from 'react';

const PHOTOS = [
  { id: 1, title: 'Harbour at dawn' },
  { id: 2, title: 'Market day' },
  { id: 3, title: 'Mountain pass' },
  { id: 4, title: 'City lights' },
  { id: 5, title: 'Quiet forest' },
  { id: 6, title: 'Old bridge' },
];

export default function App() {
  return (
    <div className="min-h-screen bg-stone-50 text-stone-800">
      <header className="px-8 py-16 text-center">
        <h1 className="text-5xl font-light tracking-wide">Mara Lindqvist</h1>
        <p className="mt-3 text-stone-500">Documentary and travel photography</p>
      </header>
      <section className="mx-auto max-w-3xl px-8 pb-12 text-lg leading-relaxed">
        <h2 className="mb-3 text-2xl font-semibold">About</h2>
        <p>I photograph people and places as they are, in natural light. Based in Gothenburg, available worldwide.</p>
      </section>
      <section className="mx-auto grid max-w-5xl grid-cols-2 gap-4 px-8 md:grid-cols-3">
        {PHOTOS.map((p) => (
          <figure key={p.id} className="overflow-hidden rounded-lg shadow">
            <img src={`https://placehold.co/400x300?text=${encodeURIComponent(p.title)}`} alt={p.title} className="w-full" />
            <figcaption className="bg-white px-3 py-2 text-sm">{p.title}</figcaption>
          </figure>
        ))}
      </section>
      <footer className="mt-16 bg-stone-800 py-10 text-center text-stone-200">
        <p>mara@example.com · +46 31 000 000</p>
      </footer>
    </div>
  );
}
