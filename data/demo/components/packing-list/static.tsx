export default function App() {
  return (
    <ul>
      <li>Passport</li>
      <li>Charger</li>
    </ul>
  );
}
