// request: A todo list app where I can add tasks, mark them done, delete them and filter by status.
import React, { useState } from 'react';

type Filter = 'all' | 'active' | 'done';
interface Todo { id: number; text: string; done: boolean }

export default function App() {
  const [todos, setTodos] = useState<Todo[]>([
    { id: 1, text: 'Water the plants', done: false },
    { id: 2, text: 'Book dentist appointment', done: true },
  ]);
  const [text, setText] = useState('');
  const [filter, setFilter] = useState<Filter>('all');

  const add = (e: React.FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setTodos([...todos, { id: Date.now(), text: text.trim(), done: false }]);
    setText('');
  };
  const toggle = (id: number) => setTodos(todos.map((t) => (t.id === id ? { ...t, done: !t.done } : t)));
  const remove = (id: number) => setTodos(todos.filter((t) => t.id !== id));

  const visible = todos.filter((t) => (filter === 'all' ? true : filter === 'done' ? t.done : !t.done));
  const remaining = todos.filter((t) => !t.done).length;

  return (
    <div className="mx-auto mt-12 max-w-md rounded-xl bg-white p-6 shadow-lg">
      <h1 className="mb-4 text-2xl font-bold text-gray-800">Tasks</h1>
      <form onSubmit={add} className="mb-4 flex gap-2">
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="What needs doing?" className="flex-1 rounded border px-3 py-2" />
        <button type="submit" className="rounded bg-blue-600 px-4 text-white">Add</button>
      </form>
      <div className="mb-3 flex gap-2 text-sm">
        {(['all', 'active', 'done'] as Filter[]).map((f) => (
          <button key={f} onClick={() => setFilter(f)} className={`rounded px-2 py-1 capitalize ${filter === f ? 'bg-blue-100 text-blue-700' : 'text-gray-500'}`}>
            {f}
          </button>
        ))}
      </div>
      <ul className="space-y-2">
        {visible.map((t) => (
          <li key={t.id} className="flex items-center gap-3 rounded border px-3 py-2">
            <input type="checkbox" checked={t.done} onChange={() => toggle(t.id)} aria-label={`Mark ${t.text} done`} />
            <span className={`flex-1 ${t.done ? 'text-gray-400 line-through' : ''}`}>{t.text}</span>
            <button onClick={() => remove(t.id)} className="text-red-500" aria-label={`Delete ${t.text}`}>✕</button>
          </li>
        ))}
      </ul>
      <p className="mt-4 text-sm text-gray-500">{remaining} task(s) left</p>
    </div>
  );
}
