import { useState } from "react";

export default function App() {
  const [color, setColor] = useState("red");
  return (
    <div>
      <p style={{ color }}>The box is {color}.</p>
      <button>Red</button>
      <button>Blue</button>
    </div>
  );
}
