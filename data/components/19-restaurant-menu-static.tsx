// request: A restaurant menu page for an Italian trattoria with sections for starters, mains and desserts.
import React from 'react';

const MENU = [
  { section: 'Antipasti', items: [['Bruschetta al pomodoro', 7], ['Burrata with figs', 12]] },
  { section: 'Primi e Secondi', items: [['Tagliatelle al ragù', 16], ['Risotto ai funghi', 15], ['Saltimbocca alla romana', 22]] },
  { section: 'Dolci', items: [['Tiramisù', 8], ['Panna cotta', 7]] },
] as const;

export default function App() {
  return (
    <div className="min-h-screen bg-[#fdf8f0] py-12 font-serif">
      <div className="mx-auto max-w-xl px-6">
        <h1 className="text-center text-4xl text-red-800">Trattoria da Nonna</h1>
        <p className="mb-10 text-center italic text-stone-500">Cucina di casa since 1974</p>
        {MENU.map((group) => (
          <section key={group.section} className="mb-8">
            <h2 className="mb-3 border-b border-red-200 pb-1 text-2xl text-red-700">{group.section}</h2>
            <ul className="space-y-2">
              {group.items.map(([name, price]) => (
                <li key={name} className="flex justify-between">
                  <span>{name}</span>
                  <span className="text-stone-600">€{price}</span>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
