// request: A stopwatch with start, pause, reset and lap buttons, showing the list of laps.
import React, { useEffect, useRef, useState } from 'react';

function format(ms: number): string {
  const minutes = Math.floor(ms / 60000);
  const seconds = Math.floor((ms % 60000) / 1000);
  const centis = Math.floor((ms % 1000) / 10);
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(centis).padStart(2, '0')}`;
}

export default function App() {
  const [elapsed, setElapsed] = useState(0);
  const [running, setRunning] = useState(false);
  const [laps, setLaps] = useState<number[]>([]);
  const startedAt = useRef(0);

  useEffect(() => {
    if (!running) return;
    startedAt.current = Date.now() - elapsed;
    const id = setInterval(() => setElapsed(Date.now() - startedAt.current), 31);
    return () => clearInterval(id);
  }, [running]);

  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-slate-900 text-white">
      <p className="font-mono text-6xl">{format(elapsed)}</p>
      <div className="mt-8 flex gap-3">
        <button onClick={() => setRunning(!running)} className={`rounded-full px-6 py-2 ${running ? 'bg-amber-500' : 'bg-emerald-500'}`}>
          {running ? 'Pause' : 'Start'}
        </button>
        <button onClick={() => setLaps([elapsed, ...laps])} disabled={!running} className="rounded-full bg-slate-700 px-6 py-2 disabled:opacity-40">Lap</button>
        <button onClick={() => { setRunning(false); setElapsed(0); setLaps([]); }} className="rounded-full bg-slate-700 px-6 py-2">Reset</button>
      </div>
      <ol className="mt-8 w-64 space-y-1 font-mono text-slate-300">
        {laps.map((lap, i) => (
          <li key={laps.length - i} className="flex justify-between"><span>Lap {laps.length - i}</span><span>{format(lap)}</span></li>
        ))}
      </ol>
    </div>
  );
}
