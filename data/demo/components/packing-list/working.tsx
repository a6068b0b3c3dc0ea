// request: A checklist of packing items you can tick off
import { useState } from "react";

export default function App() {
  const [packed, setPacked] = useState(0);
  return (
    <div>
      <label>
        <input type="checkbox" onChange={(e) => setPacked(packed + (e.target.checked ? 1 : -1))} /> Passport
      </label>
      <p>{packed} packed</p>
    </div>
  );
}
