// request: A pricing page with three plans and a monthly/yearly billing toggle that updates the prices.
import React, { useState } from 'react';

const PLANS = [
  { name: 'Starter', monthly: 9, features: ['1 project', 'Email support'] },
  { name: 'Pro', monthly: 29, features: ['10 projects', 'Priority support', 'Analytics'] },
  { name: 'Team', monthly: 79, features: ['Unlimited projects', 'SSO', 'Dedicated manager'] },
];

export default function App() {
  const [yearly, setYearly] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);

  const price = (monthly: number) => (yearly ? Math.round(monthly * 12 * 0.8) : monthly);

  return (
    <div className="min-h-screen bg-gradient-to-b from-indigo-50 to-white px-6 py-16">
      <h1 className="text-center text-4xl font-extrabold text-indigo-900">Simple pricing</h1>
      <div className="mt-6 flex items-center justify-center gap-3">
        <span className={yearly ? 'text-gray-400' : 'font-semibold'}>Monthly</span>
        <button
          role="switch"
          aria-checked={yearly}
          onClick={() => setYearly(!yearly)}
          className={`relative h-7 w-14 rounded-full transition ${yearly ? 'bg-indigo-600' : 'bg-gray-300'}`}
        >
          <span className={`absolute top-1 h-5 w-5 rounded-full bg-white transition-all ${yearly ? 'left-8' : 'left-1'}`} />
        </button>
        <span className={yearly ? 'font-semibold' : 'text-gray-400'}>Yearly (save 20%)</span>
      </div>
      <div className="mx-auto mt-10 grid max-w-5xl gap-6 md:grid-cols-3">
        {PLANS.map((plan) => (
          <div key={plan.name} className={`rounded-2xl bg-white p-8 shadow ${selected === plan.name ? 'ring-4 ring-indigo-500' : ''}`}>
            <h2 className="text-xl font-bold">{plan.name}</h2>
            <p className="mt-4 text-4xl font-extrabold">${price(plan.monthly)}<span className="text-base font-normal text-gray-500">/{yearly ? 'yr' : 'mo'}</span></p>
            <ul className="mt-6 space-y-2 text-gray-600">
              {plan.features.map((f) => <li key={f}>✓ {f}</li>)}
            </ul>
            <button onClick={() => setSelected(plan.name)} className="mt-8 w-full rounded-lg bg-indigo-600 py-2 font-semibold text-white hover:bg-indigo-700">
              {selected === plan.name ? 'Selected' : 'Choose plan'}
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
