export default function App() {
  return <p>The count is 0.</p>;
}
