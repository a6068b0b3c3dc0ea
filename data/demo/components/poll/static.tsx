export default function App() {
  return (
    <div className="space-y-2 p-6">
      <h2 className="font-semibold">Tea or coffee?</h2>
      <p>Tea: 12 votes</p>
      <p>Coffee: 15 votes</p>
    </div>
  );
}
