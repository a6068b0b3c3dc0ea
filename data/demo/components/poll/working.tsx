// request: A poll with two options and live vote counts
import { useState } from "react";

export default function App() {
  const [votes, setVotes] = useState({ tea: 0, coffee: 0 });
  return (
    <div className="space-y-2 p-6">
      <h2 className="font-semibold">Tea or coffee?</h2>
      <button className="block rounded border px-3 py-1" onClick={() => setVotes({ ...votes, tea: votes.tea + 1 })}>
        Tea ({votes.tea})
      </button>
      <button className="block rounded border px-3 py-1" onClick={() => setVotes({ ...votes, coffee: votes.coffee + 1 })}>
        Coffee ({votes.coffee})
      </button>
    </div>
  );
}
