export default function App() {
  return <p>Tip on $40: $6</p>;
}
