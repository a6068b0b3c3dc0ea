import { useState } from "react";

export default function App() {
  const [votes, setVotes] = useState({ tea: 0, coffee: 0 });
  const vote = (option: string) => console.log(option);
  return (
    <div className="space-y-2 p-6">
      <h2 className="font-semibold">Tea or coffee?</h2>
      <button className="block rounded border px-3 py-1" onClick={() => vote("tea")}>Tea</button>
      <button className="block rounded border px-3 py-1" onClick={() => vote("coffee")}>Coffee</button>
    </div>
  );
}
