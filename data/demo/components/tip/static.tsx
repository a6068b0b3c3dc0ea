export default function App() {
  return (
    <div className="space-y-2 p-6">
      <p>Bill: $40.00</p>
      <p>Tip (15%): $6.00</p>
    </div>
  );
}
