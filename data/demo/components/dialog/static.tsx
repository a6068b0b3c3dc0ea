export default function App() {
  return (
    <div role="dialog" className="m-6 rounded border p-4 shadow">
      <h2 className="font-semibold">Saved</h2>
      <p>Your changes were saved.</p>
    </div>
  );
}
