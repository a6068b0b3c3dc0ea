// request: A basic calculator with digits, the four operations, clear and equals.
import React, { useState } from 'react';

type Op = '+' | '-' | '×' | '÷';
const apply = (a: number, b: number, op: Op) => (op === '+' ? a + b : op === '-' ? a - b : op === '×' ? a * b : b === 0 ? NaN : a / b);

export default function App() {
  const [display, setDisplay] = useState('0');
  const [stored, setStored] = useState<number | null>(null);
  const [op, setOp] = useState<Op | null>(null);
  const [fresh, setFresh] = useState(false);

  const digit = (d: string) => {
    if (fresh || display === '0') {
      setDisplay(d);
      setFresh(false);
    } else {
      setDisplay(display + d);
    }
  };
  const chooseOp = (next: Op) => {
    const value = parseFloat(display);
    const result = stored !== null && op ? apply(stored, value, op) : value;
    setStored(result);
    setDisplay(String(result));
    setOp(next);
    setFresh(true);
  };
  const equals = () => {
    if (stored === null || !op) return;
    setDisplay(String(apply(stored, parseFloat(display), op)));
    setStored(null);
    setOp(null);
    setFresh(true);
  };
  const clear = () => { setDisplay('0'); setStored(null); setOp(null); };

  return (
    <div className="flex min-h-screen items-center justify-center bg-neutral-200">
      <div className="w-64 rounded-2xl bg-neutral-900 p-4 shadow-2xl">
        <output className="mb-4 block truncate rounded bg-neutral-800 p-3 text-right text-3xl text-white">{display}</output>
        <div className="grid grid-cols-4 gap-2">
          {['7', '8', '9'].map((d) => <button key={d} onClick={() => digit(d)} className="rounded bg-neutral-700 py-3 text-white">{d}</button>)}
          <button onClick={() => chooseOp('÷')} className="rounded bg-orange-500 py-3 text-white">÷</button>
          {['4', '5', '6'].map((d) => <button key={d} onClick={() => digit(d)} className="rounded bg-neutral-700 py-3 text-white">{d}</button>)}
          <button onClick={() => chooseOp('×')} className="rounded bg-orange-500 py-3 text-white">×</button>
          {['1', '2', '3'].map((d) => <button key={d} onClick={() => digit(d)} className="rounded bg-neutral-700 py-3 text-white">{d}</button>)}
          <button onClick={() => chooseOp('-')} className="rounded bg-orange-500 py-3 text-white">-</button>
          <button onClick={clear} className="rounded bg-neutral-500 py-3 text-white">C</button>
          <button onClick={() => digit('0')} className="rounded bg-neutral-700 py-3 text-white">0</button>
          <button onClick={equals} className="rounded bg-emerald-600 py-3 text-white">=</button>
          <button onClick={() => chooseOp('+')} className="rounded bg-orange-500 py-3 text-white">+</button>
        </div>
      </div>
    </div>
  );
}
