// request: Build a booking app for a small-town transport business called Bayou Rides: customers book a ride now or schedule one for later, see a fare estimate, and see their upcoming bookings.
import React, { useState } from 'react';

interface Booking {
  id: number;
  pickup: string;
  dropoff: string;
  when: string;
  passengers: number;
  fare: number;
}

const RATE_PER_PASSENGER = 4;
const BASE_FARE = 12;

function estimateFare(passengers: number, scheduled: boolean): number {
  return BASE_FARE + passengers * RATE_PER_PASSENGER + (scheduled ? 0 : 5);
}

export default function App() {
  const [pickup, setPickup] = useState('');
  const [dropoff, setDropoff] = useState('');
  const [mode, setMode] = useState<'now' | 'later'>('now');
  const [when, setWhen] = useState('');
  const [passengers, setPassengers] = useState(1);
  const [bookings, setBookings] = useState<Booking[]>([]);
  const [error, setError] = useState('');

  const fare = estimateFare(passengers, mode === 'later');

  const handleSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!pickup.trim() || !dropoff.trim()) {
      setError('Please enter both a pickup and a drop-off address.');
      return;
    }
    if (mode === 'later' && !when) {
      setError('Please choose a date and time for your scheduled ride.');
      return;
    }
    setError('');
    setBookings([
      ...bookings,
      { id: Date.now(), pickup, dropoff, when: mode === 'now' ? 'ASAP' : when, passengers, fare },
    ]);
    setPickup('');
    setDropoff('');
    setWhen('');
  };

  const cancel = (id: number) => setBookings(bookings.filter((b) => b.id !== id));

  return (
    <div className="min-h-screen bg-slate-50 p-6">
      <header className="mb-6 text-center">
        <h1 className="text-3xl font-bold text-emerald-700">Bayou Rides</h1>
        <p className="text-slate-600">Friendly local rides, right now or whenever you need one.</p>
      </header>
      <main className="mx-auto grid max-w-4xl gap-6 md:grid-cols-2">
        <form onSubmit={handleSubmit} className="space-y-4 rounded-xl bg-white p-6 shadow" aria-label="Book a ride">
          <div className="flex gap-2" role="radiogroup" aria-label="When">
            {(['now', 'later'] as const).map((m) => (
              <button
                key={m}
                type="button"
                onClick={() => setMode(m)}
                className={`flex-1 rounded-lg px-3 py-2 ${mode === m ? 'bg-emerald-600 text-white' : 'bg-slate-100'}`}
                aria-pressed={mode === m}
              >
                {m === 'now' ? 'Ride now' : 'Schedule'}
              </button>
            ))}
          </div>
          <label className="block">
            <span className="text-sm text-slate-700">Pickup</span>
            <input className="mt-1 w-full rounded border p-2" value={pickup} onChange={(e) => setPickup(e.target.value)} />
          </label>
          <label className="block">
            <span className="text-sm text-slate-700">Drop-off</span>
            <input className="mt-1 w-full rounded border p-2" value={dropoff} onChange={(e) => setDropoff(e.target.value)} />
          </label>
          {mode === 'later' && (
            <label className="block">
              <span className="text-sm text-slate-700">Date and time</span>
              <input type="datetime-local" className="mt-1 w-full rounded border p-2" value={when} onChange={(e) => setWhen(e.target.value)} />
            </label>
          )}
          <label className="block">
            <span className="text-sm text-slate-700">Passengers</span>
            <select className="mt-1 w-full rounded border p-2" value={passengers} onChange={(e) => setPassengers(Number(e.target.value))}>
              {[1, 2, 3, 4, 5, 6].map((n) => (
                <option key={n} value={n}>{n}</option>
              ))}
            </select>
          </label>
          <p className="text-lg font-semibold">Estimated fare: ${fare}</p>
          {error && <p role="alert" className="text-sm text-red-600">{error}</p>}
          <button type="submit" className="w-full rounded-lg bg-emerald-600 py-2 font-semibold text-white hover:bg-emerald-700">
            Book ride
          </button>
        </form>
        <section className="rounded-xl bg-white p-6 shadow">
          <h2 className="mb-3 text-xl font-semibold">Your bookings</h2>
          {bookings.length === 0 ? (
            <p className="text-slate-500">No rides booked yet.</p>
          ) : (
            <ul className="space-y-3">
              {bookings.map((b) => (
                <li key={b.id} className="flex items-start justify-between rounded border p-3">
                  <div>
                    <p className="font-medium">{b.pickup} → {b.dropoff}</p>
                    <p className="text-sm text-slate-500">{b.when} · {b.passengers} passenger(s) · ${b.fare}</p>
                  </div>
                  <button onClick={() => cancel(b.id)} className="text-sm text-red-600 hover:underline">Cancel</button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
    </div>
  );
}
