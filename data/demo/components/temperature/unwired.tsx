import { useState } from "react";

export default function App() {
  const [c, setC] = useState(20);
  return (
    <div>
      <input type="number" defaultValue={20} />
      <p>{(c * 9) / 5 + 32} °F</p>
    </div>
  );
}
