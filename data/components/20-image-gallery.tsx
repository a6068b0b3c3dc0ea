// request: A photo gallery with thumbnails and a lightbox that opens the large image with next/previous buttons.
import React, { useState } from 'react';

const IMAGES = Array.from({ length: 8 }, (_, i) => ({ id: i, caption: `Photo ${i + 1}` }));

export default function App() {
  const [active, setActive] = useState<number | null>(null);
  const step = (delta: number) => setActive((i) => (i === null ? null : (i + delta + IMAGES.length) % IMAGES.length));

  return (
    <div className="min-h-screen bg-zinc-900 p-8">
      <h1 className="mb-6 text-center text-3xl font-bold text-white">Gallery</h1>
      <div className="mx-auto grid max-w-4xl grid-cols-2 gap-3 sm:grid-cols-4">
        {IMAGES.map((img) => (
          <button key={img.id} onClick={() => setActive(img.id)} className="overflow-hidden rounded focus:ring-2 focus:ring-white">
            <img src={`https://placehold.co/200x200?text=${img.id + 1}`} alt={img.caption} className="w-full transition hover:scale-105" />
          </button>
        ))}
      </div>
      {active !== null && (
        <div className="fixed inset-0 flex items-center justify-center bg-black/80" role="dialog" aria-label={IMAGES[active].caption}>
          <button onClick={() => step(-1)} className="absolute left-4 text-4xl text-white" aria-label="Previous">‹</button>
          <figure className="text-center">
            <img src={`https://placehold.co/800x600?text=${active + 1}`} alt={IMAGES[active].caption} className="max-h-[80vh] rounded" />
            <figcaption className="mt-2 text-white">{IMAGES[active].caption}</figcaption>
          </figure>
          <button onClick={() => step(1)} className="absolute right-4 text-4xl text-white" aria-label="Next">›</button>
          <button onClick={() => setActive(null)} className="absolute top-4 right-4 text-2xl text-white" aria-label="Close">✕</button>
        </div>
      )}
    </div>
  );
}
