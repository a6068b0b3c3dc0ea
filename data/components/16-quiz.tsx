// request: A short multiple-choice quiz about space that shows a score at the end and lets me restart.
import React, { useState } from 'react';

const QUESTIONS = [
  { q: 'Which planet is closest to the Sun?', options: ['Venus', 'Mercury', 'Mars'], answer: 1 },
  { q: 'What is the largest planet?', options: ['Jupiter', 'Saturn', 'Neptune'], answer: 0 },
  { q: 'How many moons does Mars have?', options: ['None', 'One', 'Two'], answer: 2 },
];

export default function App() {
  const [index, setIndex] = useState(0);
  const [score, setScore] = useState(0);
  const [picked, setPicked] = useState<number | null>(null);

  const finished = index >= QUESTIONS.length;
  const current = QUESTIONS[index];

  const choose = (i: number) => {
    if (picked !== null) return;
    setPicked(i);
    if (i === current.answer) setScore(score + 1);
  };
  const next = () => { setIndex(index + 1); setPicked(null); };
  const restart = () => { setIndex(0); setScore(0); setPicked(null); };

  return (
    <div className="flex min-h-screen items-center justify-center bg-indigo-950 p-6 text-white">
      <div className="w-full max-w-md rounded-2xl bg-indigo-900 p-6">
        {finished ? (
          <div className="text-center">
            <h1 className="text-3xl font-bold">You scored {score} / {QUESTIONS.length}</h1>
            <button onClick={restart} className="mt-6 rounded bg-pink-500 px-5 py-2">Play again</button>
          </div>
        ) : (
          <>
            <p className="text-sm text-indigo-300">Question {index + 1} of {QUESTIONS.length}</p>
            <h1 className="my-4 text-xl font-semibold">{current.q}</h1>
            <div className="space-y-2">
              {current.options.map((o, i) => (
                <button key={o} onClick={() => choose(i)}
                  className={`w-full rounded px-4 py-2 text-left ${picked === null ? 'bg-indigo-800 hover:bg-indigo-700' : i === current.answer ? 'bg-green-600' : i === picked ? 'bg-red-600' : 'bg-indigo-800'}`}>
                  {o}
                </button>
              ))}
            </div>
            {picked !== null && <button onClick={next} className="mt-6 w-full rounded bg-pink-500 py-2">Next</button>}
          </>
        )}
      </div>
    </div>
  );
}
