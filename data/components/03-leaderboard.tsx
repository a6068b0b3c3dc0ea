// request: A realtime leaderboard for an online game: scores update live, players re-rank, and I can filter by region.
import React, { useEffect, useState } from 'react';

interface Player {
  id: number;
  name: string;
  region: 'EU' | 'NA' | 'ASIA';
  score: number;
}

const INITIAL: Player[] = [
  { id: 1, name: 'Nova', region: 'EU', score: 4200 },
  { id: 2, name: 'Blaze', region: 'NA', score: 3900 },
  { id: 3, name: 'Kira', region: 'ASIA', score: 3850 },
  { id: 4, name: 'Atlas', region: 'EU', score: 3600 },
  { id: 5, name: 'Echo', region: 'NA', score: 3100 },
  { id: 6, name: 'Zen', region: 'ASIA', score: 2950 },
];

export default function App() {
  const [players, setPlayers] = useState<Player[]>(INITIAL);
  const [region, setRegion] = useState<'ALL' | Player['region']>('ALL');
  const [live, setLive] = useState(true);

  useEffect(() => {
    if (!live) return;
    // Mock realtime feed: a random player gains points every second.
    const timer = setInterval(() => {
      setPlayers((prev) => {
        const i = Math.floor(Math.random() * prev.length);
        return prev.map((p, j) => (j === i ? { ...p, score: p.score + Math.floor(Math.random() * 150) } : p));
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [live]);

  const ranked = [...players]
    .filter((p) => region === 'ALL' || p.region === region)
    .sort((a, b) => b.score - a.score);

  return (
    <div className="min-h-screen bg-gray-900 p-8 text-white">
      <div className="mx-auto max-w-2xl">
        <div className="mb-6 flex items-center justify-between">
          <h1 className="text-3xl font-bold">Leaderboard</h1>
          <button onClick={() => setLive(!live)} className={`rounded-full px-4 py-1 text-sm ${live ? 'bg-green-500' : 'bg-gray-600'}`}>
            {live ? '● Live' : 'Paused'}
          </button>
        </div>
        <div className="mb-4 flex gap-2">
          {(['ALL', 'EU', 'NA', 'ASIA'] as const).map((r) => (
            <button key={r} onClick={() => setRegion(r)} className={`rounded px-3 py-1 ${region === r ? 'bg-indigo-500' : 'bg-gray-700'}`}>
              {r}
            </button>
          ))}
        </div>
        <ol className="divide-y divide-gray-700 rounded-lg bg-gray-800">
          {ranked.map((p, i) => (
            <li key={p.id} className="flex items-center justify-between px-4 py-3">
              <span className="w-8 text-xl font-bold text-yellow-400">{i + 1}</span>
              <span className="flex-1">{p.name} <span className="text-xs text-gray-400">{p.region}</span></span>
              <span className="font-mono">{p.score.toLocaleString()}</span>
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}
