// request: A button that rolls a die
import { useState } from "react";

export default function App() {
  const [rolls, setRolls] = useState(0);
  return <button onClick={() => setRolls(rolls + 1)}>Roll ({rolls} so far)</button>;
}
