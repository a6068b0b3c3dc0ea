export default function App() {
  return <p>Hello, stranger!</p>;
}
