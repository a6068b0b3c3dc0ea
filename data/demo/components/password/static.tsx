export default function App() {
  return <p>Password: at least 8 characters.</p>;
}
