// request: An expense tracker where I add expenses with a category and amount and see totals per category.
import React, { useReducer, useState } from 'react';

interface Expense { id: number; label: string; category: string; amount: number }
type Action = { type: 'add'; expense: Expense } | { type: 'remove'; id: number };

function reducer(state: Expense[], action: Action): Expense[] {
  switch (action.type) {
    case 'add': return [...state, action.expense];
    case 'remove': return state.filter((e) => e.id !== action.id);
  }
}
const CATEGORIES = ['Food', 'Transport', 'Home', 'Fun'];

export default function App() {
  const [expenses, dispatch] = useReducer(reducer, [{ id: 1, label: 'Groceries', category: 'Food', amount: 42.5 }]);
  const [label, setLabel] = useState('');
  const [category, setCategory] = useState(CATEGORIES[0]);
  const [amount, setAmount] = useState('');

  const add = (e: React.FormEvent) => {
    e.preventDefault();
    const value = parseFloat(amount);
    if (!label.trim() || !(value > 0)) return;
    dispatch({ type: 'add', expense: { id: Date.now(), label: label.trim(), category, amount: value } });
    setLabel('');
    setAmount('');
  };
  const totals = CATEGORIES.map((c) => ({ c, total: expenses.filter((e) => e.category === c).reduce((s, e) => s + e.amount, 0) }));

  return (
    <div className="mx-auto max-w-2xl p-8">
      <h1 className="mb-6 text-2xl font-bold text-teal-800">Expenses</h1>
      <form onSubmit={add} className="mb-6 grid grid-cols-4 gap-2">
        <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="What" className="col-span-2 rounded border px-2 py-1" />
        <select value={category} onChange={(e) => setCategory(e.target.value)} className="rounded border px-2">
          {CATEGORIES.map((c) => <option key={c}>{c}</option>)}
        </select>
        <input value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0.00" inputMode="decimal" className="rounded border px-2 py-1" />
        <button type="submit" className="col-span-4 rounded bg-teal-600 py-2 text-white">Add expense</button>
      </form>
      <div className="mb-6 grid grid-cols-4 gap-2">
        {totals.map(({ c, total }) => (
          <div key={c} className="rounded bg-teal-50 p-3 text-center"><p className="text-sm text-teal-700">{c}</p><p className="font-bold">${total.toFixed(2)}</p></div>
        ))}
      </div>
      <ul className="divide-y">
        {expenses.map((e) => (
          <li key={e.id} className="flex justify-between py-2">
            <span>{e.label} <span className="text-xs text-gray-500">{e.category}</span></span>
            <span>${e.amount.toFixed(2)} <button onClick={() => dispatch({ type: 'remove', id: e.id })} className="ml-3 text-red-500">Remove</button></span>
          </li>
        ))}
      </ul>
    </div>
  );
}
