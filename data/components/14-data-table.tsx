// request: An employee directory table with a search box and sortable columns.
import React, { useMemo, useState } from 'react';

interface Employee { id: number; name: string; team: string; started: number }
const EMPLOYEES: Employee[] = [
  { id: 1, name: 'Ana Silva', team: 'Design', started: 2019 },
  { id: 2, name: 'Ben Okafor', team: 'Engineering', started: 2021 },
  { id: 3, name: 'Chen Wei', team: 'Engineering', started: 2017 },
  { id: 4, name: 'Dara Byrne', team: 'Sales', started: 2022 },
  { id: 5, name: 'Eli Cohen', team: 'Support', started: 2020 },
];
type Key = keyof Omit<Employee, 'id'>;

export default function App() {
  const [search, setSearch] = useState('');
  const [sortKey, setSortKey] = useState<Key>('name');
  const [ascending, setAscending] = useState(true);

  const rows = useMemo(() => {
    const filtered = EMPLOYEES.filter((e) => `${e.name} ${e.team}`.toLowerCase().includes(search.toLowerCase()));
    return filtered.sort((a, b) => (a[sortKey] < b[sortKey] ? -1 : a[sortKey] > b[sortKey] ? 1 : 0) * (ascending ? 1 : -1));
  }, [search, sortKey, ascending]);

  const sortBy = (key: Key) => {
    if (key === sortKey) setAscending(!ascending);
    else { setSortKey(key); setAscending(true); }
  };

  return (
    <div className="mx-auto max-w-3xl p-8">
      <h1 className="mb-4 text-2xl font-bold">Team directory</h1>
      <input value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search by name or team" className="mb-4 w-full rounded border px-3 py-2" />
      <table className="w-full border-collapse text-left">
        <thead>
          <tr className="bg-gray-100">
            {(['name', 'team', 'started'] as Key[]).map((k) => (
              <th key={k} className="px-3 py-2">
                <button onClick={() => sortBy(k)} className="font-semibold capitalize">
                  {k} {sortKey === k ? (ascending ? '▲' : '▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id} className="border-b">
              <td className="px-3 py-2">{e.name}</td>
              <td className="px-3 py-2">{e.team}</td>
              <td className="px-3 py-2">{e.started}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="mt-4 text-gray-500">Nobody matches “{search}”.</p>}
    </div>
  );
}
