// request: A notes app that saves notes in localStorage so they survive a reload, with a dark mode toggle.
import React, { useEffect, useState } from 'react';

interface Note { id: number; text: string }
const KEY = 'notes-app';

function load(): Note[] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '[]');
  } catch {
    return [];
  }
}

export default function App() {
  const [notes, setNotes] = useState<Note[]>(load);
  const [draft, setDraft] = useState('');
  const [dark, setDark] = useState(false);

  useEffect(() => {
    localStorage.setItem(KEY, JSON.stringify(notes));
  }, [notes]);

  const save = () => {
    if (!draft.trim()) return;
    setNotes([{ id: Date.now(), text: draft.trim() }, ...notes]);
    setDraft('');
  };

  return (
    <div className={`min-h-screen p-8 ${dark ? 'bg-gray-900 text-gray-100' : 'bg-yellow-50 text-gray-900'}`}>
      <div className="mx-auto max-w-lg">
        <div className="mb-4 flex items-center justify-between">
          <h1 className="text-2xl font-bold">Notes</h1>
          <button onClick={() => setDark(!dark)} className="rounded border px-3 py-1 text-sm">{dark ? 'Light' : 'Dark'} mode</button>
        </div>
        <textarea value={draft} onChange={(e) => setDraft(e.target.value)} rows={3} placeholder="Write a note…"
          className={`w-full rounded border p-2 ${dark ? 'bg-gray-800' : 'bg-white'}`} />
        <button onClick={save} className="mt-2 rounded bg-yellow-500 px-4 py-2 font-semibold text-gray-900">Save note</button>
        <ul className="mt-6 space-y-2">
          {notes.map((n) => (
            <li key={n.id} className={`flex justify-between rounded p-3 shadow ${dark ? 'bg-gray-800' : 'bg-white'}`}>
              <span className="whitespace-pre-wrap">{n.text}</span>
              <button onClick={() => setNotes(notes.filter((x) => x.id !== n.id))} className="text-sm text-red-500">Delete</button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
