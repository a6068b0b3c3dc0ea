export default function App() {
  return (
    <div>
      <h2>Shipping times</h2>
      <p>Orders arrive in three days.</p>
    </div>
  );
}
