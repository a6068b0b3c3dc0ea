export default function App() {
  return (
    <div className="p-6 text-center">
      <img src="https://placehold.co/300x150?text=Mountains" alt="Mountains" />
      <p className="mt-2">Mountains</p>
    </div>
  );
}
