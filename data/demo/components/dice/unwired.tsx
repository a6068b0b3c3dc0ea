import { useState } from "react";

export default function App() {
  const [rolls, setRolls] = useState(0);
  return <button>Roll ({rolls} so far)</button>;
}
