// request: A weather dashboard for a few cities using mock data, with a city picker and a °C/°F switch.
import React, { useState } from 'react';

const DATA: Record<string, { now: number; condition: string; week: number[] }> = {
  Lisbon: { now: 21, condition: 'Sunny', week: [21, 22, 20, 19, 23, 24, 22] },
  Oslo: { now: 4, condition: 'Snow showers', week: [4, 2, 1, 3, 5, 4, 2] },
  Nairobi: { now: 26, condition: 'Partly cloudy', week: [26, 25, 27, 26, 24, 25, 26] },
};
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export default function App() {
  const [city, setCity] = useState('Lisbon');
  const [fahrenheit, setFahrenheit] = useState(false);
  const show = (c: number) => `${Math.round(fahrenheit ? c * 1.8 + 32 : c)}°${fahrenheit ? 'F' : 'C'}`;
  const data = DATA[city];

  return (
    <div className="min-h-screen bg-sky-100 p-8">
      <div className="mx-auto max-w-xl rounded-2xl bg-white p-6 shadow">
        <div className="flex items-center justify-between">
          <select value={city} onChange={(e) => setCity(e.target.value)} className="rounded border px-3 py-2" aria-label="City">
            {Object.keys(DATA).map((c) => <option key={c}>{c}</option>)}
          </select>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={fahrenheit} onChange={(e) => setFahrenheit(e.target.checked)} /> Fahrenheit
          </label>
        </div>
        <p className="mt-6 text-6xl font-light">{show(data.now)}</p>
        <p className="text-gray-500">{data.condition} in {city}</p>
        <div className="mt-6 grid grid-cols-7 gap-2 text-center text-sm">
          {data.week.map((t, i) => (
            <div key={DAYS[i]} className="rounded bg-sky-50 py-2"><p className="text-gray-500">{DAYS[i]}</p><p className="font-semibold">{show(t)}</p></div>
          ))}
        </div>
      </div>
    </div>
  );
}
