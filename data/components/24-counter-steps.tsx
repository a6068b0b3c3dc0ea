// request: A counter app with increment, decrement and reset, where I can choose the step size.
import React, { useState } from 'react';

export default function App() {
  const [count, setCount] = useState(0);
  const [step, setStep] = useState(1);

  return (
    <div className="flex min-h-screen flex-col items-center justify-center gap-6 bg-gradient-to-br from-cyan-100 to-blue-200">
      <h1 className="text-2xl font-semibold text-blue-900">Counter</h1>
      <p className={`text-7xl font-bold ${count < 0 ? 'text-red-600' : 'text-blue-900'}`}>{count}</p>
      <div className="flex gap-3">
        <button onClick={() => setCount(count - step)} className="rounded-lg bg-white px-5 py-2 shadow">− {step}</button>
        <button onClick={() => setCount(0)} className="rounded-lg bg-white px-5 py-2 shadow">Reset</button>
        <button onClick={() => setCount(count + step)} className="rounded-lg bg-blue-600 px-5 py-2 text-white shadow">+ {step}</button>
      </div>
      <label className="flex items-center gap-2 text-blue-900">
        Step
        <input type="number" min={1} value={step} onChange={(e) => setStep(Math.max(1, Number(e.target.value)))} className="w-20 rounded border px-2 py-1" />
      </label>
    </div>
  );
}
