// request: Buttons that change the color of a box
import { useState } from "react";

export default function App() {
  const [color, setColor] = useState("red");
  return (
    <div>
      <p style={{ color }}>The box is {color}.</p>
      <button onClick={() => setColor("red")}>Red</button>
      <button onClick={() => setColor("blue")}>Blue</button>
    </div>
  );
}
