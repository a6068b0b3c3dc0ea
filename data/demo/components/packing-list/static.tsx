const ITEMS = ["Passport", "Charger", "Toothbrush"];

export default function App() {
  return (
    <ul className="list-disc p-6 pl-10">
      {ITEMS.map((item) => <li key={item}>{item}</li>)}
    </ul>
  );
}
