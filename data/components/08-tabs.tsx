// request: A product detail page with tabs for Description, Specs and Reviews.
import React, { useState } from 'react';

const TABS = ['Description', 'Specs', 'Reviews'] as const;
type Tab = (typeof TABS)[number];

const SPECS = [
  ['Weight', '1.2 kg'],
  ['Battery', '18 hours'],
  ['Screen', '14" IPS, 2560×1600'],
];
const REVIEWS = [
  { id: 1, author: 'Sam', stars: 5, text: 'Fast and quiet. Love the keyboard.' },
  { id: 2, author: 'Lee', stars: 4, text: 'Great screen, speakers could be louder.' },
];

export default function App() {
  const [tab, setTab] = useState<Tab>('Description');

  return (
    <div className="mx-auto max-w-3xl p-8">
      <img src="https://placehold.co/800x400" alt="Laptop" className="mb-6 w-full rounded-xl" />
      <h1 className="text-3xl font-bold">Featherbook 14</h1>
      <p className="mb-6 text-2xl text-indigo-600">$1,299</p>
      <div role="tablist" className="flex border-b">
        {TABS.map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)}
            className={`px-4 py-2 ${tab === t ? 'border-b-2 border-indigo-600 font-semibold text-indigo-600' : 'text-gray-500'}`}>
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="py-6">
        {tab === 'Description' && <p className="text-gray-700">A light, all-day laptop with a bright display and a keyboard you will enjoy typing on.</p>}
        {tab === 'Specs' && (
          <table className="w-full text-left">
            <tbody>
              {SPECS.map(([k, v]) => (
                <tr key={k} className="border-b"><th className="py-2 pr-4 font-medium">{k}</th><td>{v}</td></tr>
              ))}
            </tbody>
          </table>
        )}
        {tab === 'Reviews' && (
          <ul className="space-y-4">
            {REVIEWS.map((r) => (
              <li key={r.id}><p className="font-semibold">{r.author} {'★'.repeat(r.stars)}</p><p className="text-gray-600">{r.text}</p></li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
