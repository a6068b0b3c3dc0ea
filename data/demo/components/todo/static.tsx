export default function App() {
  return (
    <ul>
      <li>Buy milk</li>
      <li>Walk the dog</li>
    </ul>
  );
}
