export default function App() {
  return <p>You rolled a six.</p>;
}
