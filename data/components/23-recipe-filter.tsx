// request: A recipe browser with mock recipes, tag filters (vegetarian, quick, dessert) and a favourites toggle.
import React, { useState } from 'react';

const RECIPES = [
  { id: 1, name: 'Chickpea curry', tags: ['vegetarian'], minutes: 35 },
  { id: 2, name: 'Lemon pasta', tags: ['vegetarian', 'quick'], minutes: 15 },
  { id: 3, name: 'Steak frites', tags: [], minutes: 30 },
  { id: 4, name: 'Chocolate mousse', tags: ['dessert', 'vegetarian'], minutes: 20 },
  { id: 5, name: 'Shrimp tacos', tags: ['quick'], minutes: 18 },
];
const TAGS = ['vegetarian', 'quick', 'dessert'];

export default function App() {
  const [active, setActive] = useState<string[]>([]);
  const [favourites, setFavourites] = useState<number[]>([]);

  const toggleTag = (t: string) => setActive(active.includes(t) ? active.filter((x) => x !== t) : [...active, t]);
  const toggleFav = (id: number) => setFavourites(favourites.includes(id) ? favourites.filter((x) => x !== id) : [...favourites, id]);
  const shown = RECIPES.filter((r) => active.every((t) => r.tags.includes(t)));

  return (
    <div className="mx-auto max-w-3xl p-8">
      <h1 className="mb-4 text-3xl font-bold text-orange-700">What's cooking?</h1>
      <div className="mb-6 flex gap-2">
        {TAGS.map((t) => (
          <button key={t} onClick={() => toggleTag(t)} aria-pressed={active.includes(t)}
            className={`rounded-full border px-3 py-1 text-sm ${active.includes(t) ? 'border-orange-600 bg-orange-600 text-white' : 'border-orange-300'}`}>
            {t}
          </button>
        ))}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        {shown.map((r) => (
          <article key={r.id} className="rounded-xl border p-4">
            <div className="flex items-start justify-between">
              <h2 className="text-lg font-semibold">{r.name}</h2>
              <button onClick={() => toggleFav(r.id)} aria-label={`Favourite ${r.name}`} className="text-xl">
                {favourites.includes(r.id) ? '♥' : '♡'}
              </button>
            </div>
            <p className="text-sm text-gray-500">{r.minutes} min · {r.tags.join(', ') || 'classic'}</p>
          </article>
        ))}
      </div>
      {shown.length === 0 && <p className="text-gray-500">No recipes match all selected tags.</p>}
      <p className="mt-6 text-sm text-gray-600">{favourites.length} favourite(s)</p>
    </div>
  );
}
