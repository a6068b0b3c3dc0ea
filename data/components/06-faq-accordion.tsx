// request: An FAQ section for a bakery website where each question expands to show its answer.
import React, { useState } from 'react';

const FAQS = [
  { q: 'Do you bake gluten-free bread?', a: 'Yes, every Tuesday and Friday in a separate oven.' },
  { q: 'Can I order a custom cake?', a: 'Custom cakes need 5 days notice. Ask us at the counter or by phone.' },
  { q: 'What time do you open?', a: 'We open at 6:30am on weekdays and 8am on weekends.' },
  { q: 'Do you deliver?', a: 'We deliver within 5 miles for orders over $30.' },
];

export default function App() {
  const [open, setOpen] = useState<number | null>(0);

  return (
    <div className="min-h-screen bg-amber-50 py-16">
      <div className="mx-auto max-w-2xl px-4">
        <h1 className="mb-8 text-center text-3xl font-bold text-amber-900">Frequently asked questions</h1>
        <div className="divide-y divide-amber-200 rounded-xl bg-white shadow">
          {FAQS.map((item, i) => (
            <div key={item.q}>
              <button
                onClick={() => setOpen(open === i ? null : i)}
                aria-expanded={open === i}
                className="flex w-full items-center justify-between px-6 py-4 text-left font-medium text-amber-900"
              >
                {item.q}
                <span className={`transition-transform ${open === i ? 'rotate-45' : ''}`}>+</span>
              </button>
              {open === i && <p className="px-6 pb-4 text-amber-800">{item.a}</p>}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
