export default function App() {
  return (
    <nav className="p-4">
      <ul className="flex gap-4">
        {["Home", "Shop", "Contact"].map((link) => <li key={link}>{link}</li>)}
      </ul>
    </nav>
  );
}
