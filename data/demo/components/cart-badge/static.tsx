export default function App() {
  return <span>🛒 2</span>;
}
