export default function App() {
  return (
    <nav>
      <p>Home · Shop · Contact</p>
    </nav>
  );
}
