// request: A poll with two options and live vote counts
import { useState } from "react";

export default function App() {
  const [tea, setTea] = useState(0);
  const [coffee, setCoffee] = useState(0);
  return (
    <div>
      <button onClick={() => setTea(tea + 1)}>Tea {tea}</button>
      <button onClick={() => setCoffee(coffee + 1)}>Coffee {coffee}</button>
    </div>
  );
}
