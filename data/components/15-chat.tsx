// request: A chat window UI with a message list and an input; the other side answers with canned replies.
import React, { useEffect, useRef, useState } from 'react';

interface Message { id: number; from: 'me' | 'bot'; text: string }
const REPLIES = ['Sounds good!', 'Tell me more.', 'Ha, nice one.', 'I will look into it.'];

export default function App() {
  const [messages, setMessages] = useState<Message[]>([{ id: 0, from: 'bot', text: 'Hi! How can I help today?' }]);
  const [draft, setDraft] = useState('');
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    bottom.current?.scrollIntoView({ behavior: 'smooth' });
  }, [messages]);

  const send = (e: React.FormEvent) => {
    e.preventDefault();
    if (!draft.trim()) return;
    const mine: Message = { id: Date.now(), from: 'me', text: draft.trim() };
    const reply: Message = { id: Date.now() + 1, from: 'bot', text: REPLIES[messages.length % REPLIES.length] };
    setMessages([...messages, mine, reply]);
    setDraft('');
  };

  return (
    <div className="flex h-screen flex-col bg-gray-50">
      <header className="bg-violet-600 p-4 text-white"><h1 className="font-semibold">Support chat</h1></header>
      <div className="flex-1 space-y-2 overflow-y-auto p-4">
        {messages.map((m) => (
          <div key={m.id} className={`flex ${m.from === 'me' ? 'justify-end' : 'justify-start'}`}>
            <p className={`max-w-xs rounded-2xl px-4 py-2 ${m.from === 'me' ? 'bg-violet-600 text-white' : 'bg-white shadow'}`}>{m.text}</p>
          </div>
        ))}
        <div ref={bottom} />
      </div>
      <form onSubmit={send} className="flex gap-2 border-t bg-white p-3">
        <input value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Type a message" className="flex-1 rounded-full border px-4 py-2" />
        <button type="submit" className="rounded-full bg-violet-600 px-5 text-white">Send</button>
      </form>
    </div>
  );
}
