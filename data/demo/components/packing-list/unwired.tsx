import { useState } from "react";

export default function App() {
  const [packed, setPacked] = useState(0);
  return (
    <div>
      <input type="checkbox" /> Passport
      <p>{packed} packed</p>
    </div>
  );
}
