// request: A newsletter landing section with a button that opens a modal dialog to subscribe, closable with Escape.
import React, { useEffect, useState } from 'react';

export default function App() {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [subscribed, setSubscribed] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const subscribe = (e: React.FormEvent) => {
    e.preventDefault();
    if (email.includes('@')) {
      setSubscribed(true);
      setOpen(false);
    }
  };

  return (
    <div className="flex min-h-screen flex-col items-center justify-center bg-rose-50 text-center">
      <h1 className="text-4xl font-bold text-rose-900">The Weekly Sprout</h1>
      <p className="mt-2 max-w-md text-rose-700">Gardening tips for small balconies, every Sunday morning.</p>
      {subscribed ? (
        <p className="mt-6 rounded bg-green-100 px-4 py-2 text-green-800">Thanks! You are subscribed as {email}.</p>
      ) : (
        <button onClick={() => setOpen(true)} className="mt-6 rounded-full bg-rose-600 px-6 py-3 font-semibold text-white">Subscribe</button>
      )}
      {open && (
        <div className="fixed inset-0 flex items-center justify-center bg-black/40" role="dialog" aria-modal="true" aria-label="Subscribe">
          <form onSubmit={subscribe} className="w-80 rounded-xl bg-white p-6 text-left shadow-xl">
            <h2 className="mb-3 text-lg font-semibold">Join the newsletter</h2>
            <input value={email} onChange={(e) => setEmail(e.target.value)} placeholder="you@example.com" className="mb-4 w-full rounded border px-3 py-2" />
            <div className="flex justify-end gap-2">
              <button type="button" onClick={() => setOpen(false)} className="px-3 py-2 text-gray-600">Cancel</button>
              <button type="submit" className="rounded bg-rose-600 px-3 py-2 text-white">Subscribe</button>
            </div>
          </form>
        </div>
      )}
    </div>
  );
}
