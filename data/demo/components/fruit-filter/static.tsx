const FRUITS = ["Apple", "Banana", "Cherry", "Mango", "Pear"];

export default function App() {
  return (
    <ul className="p-6">
      {FRUITS.map((f) => <li key={f}>{f}</li>)}
    </ul>
  );
}
