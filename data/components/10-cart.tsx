// request: A small online shop page with products, an add-to-cart button, quantity controls and a running total.
import React, { useState } from 'react';

interface Product { id: number; name: string; price: number }
const PRODUCTS: Product[] = [
  { id: 1, name: 'Ceramic mug', price: 14 },
  { id: 2, name: 'Pour-over kettle', price: 45 },
  { id: 3, name: 'Single-origin beans', price: 18 },
];

export default function App() {
  const [cart, setCart] = useState<Record<number, number>>({});

  const add = (id: number) => setCart({ ...cart, [id]: (cart[id] ?? 0) + 1 });
  const decrement = (id: number) => {
    const next = { ...cart, [id]: (cart[id] ?? 0) - 1 };
    if (next[id] <= 0) delete next[id];
    setCart(next);
  };
  const total = PRODUCTS.reduce((sum, p) => sum + (cart[p.id] ?? 0) * p.price, 0);
  const count = Object.values(cart).reduce((a, b) => a + b, 0);

  return (
    <div className="mx-auto max-w-4xl p-8">
      <header className="mb-8 flex items-center justify-between">
        <h1 className="text-3xl font-bold text-stone-800">Brew Goods</h1>
        <span className="rounded-full bg-stone-800 px-3 py-1 text-sm text-white">Cart: {count}</span>
      </header>
      <div className="grid gap-6 sm:grid-cols-3">
        {PRODUCTS.map((p) => (
          <div key={p.id} className="rounded-lg border p-4 shadow-sm">
            <img src={`https://placehold.co/300x200?text=${encodeURIComponent(p.name)}`} alt={p.name} className="mb-3 rounded" />
            <h2 className="font-semibold">{p.name}</h2>
            <p className="text-stone-500">${p.price}</p>
            {cart[p.id] ? (
              <div className="mt-3 flex items-center gap-3">
                <button onClick={() => decrement(p.id)} className="rounded bg-stone-200 px-3" aria-label={`Remove one ${p.name}`}>−</button>
                <span>{cart[p.id]}</span>
                <button onClick={() => add(p.id)} className="rounded bg-stone-200 px-3" aria-label={`Add one ${p.name}`}>+</button>
              </div>
            ) : (
              <button onClick={() => add(p.id)} className="mt-3 w-full rounded bg-amber-600 py-2 text-white">Add to cart</button>
            )}
          </div>
        ))}
      </div>
      <p className="mt-8 text-right text-xl font-bold">Total: ${total}</p>
    </div>
  );
}
