// request: A tiny kanban board with To do, Doing and Done columns where cards can be moved left and right.
import React, { useState } from 'react';

const COLUMNS = ['To do', 'Doing', 'Done'];
interface Card { id: number; title: string; column: number }

export default function App() {
  const [cards, setCards] = useState<Card[]>([
    { id: 1, title: 'Write proposal', column: 0 },
    { id: 2, title: 'Review designs', column: 1 },
    { id: 3, title: 'Ship v1', column: 2 },
  ]);
  const [title, setTitle] = useState('');

  const move = (id: number, delta: number) =>
    setCards(cards.map((c) => (c.id === id ? { ...c, column: Math.min(2, Math.max(0, c.column + delta)) } : c)));
  const add = () => {
    if (!title.trim()) return;
    setCards([...cards, { id: Date.now(), title: title.trim(), column: 0 }]);
    setTitle('');
  };

  return (
    <div className="min-h-screen bg-slate-100 p-6">
      <div className="mb-6 flex gap-2">
        <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="New card" className="rounded border px-3 py-2" />
        <button onClick={add} className="rounded bg-sky-600 px-4 text-white">Add</button>
      </div>
      <div className="grid grid-cols-3 gap-4">
        {COLUMNS.map((name, col) => (
          <section key={name} className="rounded-lg bg-white p-3 shadow">
            <h2 className="mb-3 font-semibold text-slate-700">{name} ({cards.filter((c) => c.column === col).length})</h2>
            {cards.filter((c) => c.column === col).map((c) => (
              <div key={c.id} className="mb-2 flex items-center justify-between rounded border bg-slate-50 p-2">
                <button onClick={() => move(c.id, -1)} disabled={col === 0} className="px-1 disabled:opacity-20" aria-label="Move left">←</button>
                <span className="flex-1 text-center">{c.title}</span>
                <button onClick={() => move(c.id, 1)} disabled={col === 2} className="px-1 disabled:opacity-20" aria-label="Move right">→</button>
              </div>
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}
