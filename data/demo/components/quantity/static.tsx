export default function App() {
  return (
    <div className="flex gap-4 p-6">
      <span>Coffee beans</span>
      <span className="font-bold">$8.50</span>
    </div>
  );
}
