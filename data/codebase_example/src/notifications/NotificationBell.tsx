/**
 * A notification bell for the app header: shows how many notifications are unread, opens a dropdown listing them,
 * and lets the user mark one or all as read.
 */
import { useState } from 'react';
import { Bell, Check } from 'react-feather';
import clsx from 'clsx';

interface Notification {
  id: number;
  title: string;
  time: string;
  read: boolean;
}

const INITIAL: Notification[] = [
  { id: 1, title: 'Maya commented on your design review', time: '2 min ago', read: false },
  { id: 2, title: 'Your export finished (412 rows)', time: '1 h ago', read: false },
  { id: 3, title: 'Weekly report is ready', time: 'Yesterday', read: true },
];

export default function NotificationBell() {
  const [items, setItems] = useState(INITIAL);
  const [open, setOpen] = useState(false);
  const unread = items.filter((n) => !n.read).length;

  const markRead = (id: number) => setItems(items.map((n) => (n.id === id ? { ...n, read: true } : n)));
  const markAll = () => setItems(items.map((n) => ({ ...n, read: true })));

  return (
    <div className="relative inline-block p-8">
      <button
        aria-label={`Notifications (${unread} unread)`}
        onClick={() => setOpen(!open)}
        className="relative rounded-full p-2 text-gray-700 hover:bg-gray-100"
      >
        <Bell size={22} />
        {unread > 0 && (
          <span className="absolute -right-1 -top-1 rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <div className="absolute left-8 mt-2 w-80 rounded-lg border bg-white shadow-lg">
          <div className="flex items-center justify-between border-b px-4 py-2">
            <h2 className="font-semibold">Notifications</h2>
            <button onClick={markAll} disabled={unread === 0} className="text-sm text-blue-600 disabled:text-gray-400">
              Mark all read
            </button>
          </div>
          <ul>
            {items.map((n) => (
              <li key={n.id} className={clsx('flex items-start gap-3 px-4 py-3', !n.read && 'bg-blue-50')}>
                <div className="flex-1">
                  <p className={clsx('text-sm', n.read ? 'text-gray-600' : 'font-medium text-gray-900')}>{n.title}</p>
                  <p className="text-xs text-gray-500">{n.time}</p>
                </div>
                {!n.read && (
                  <button aria-label="Mark as read" onClick={() => markRead(n.id)} className="text-gray-400 hover:text-green-600">
                    <Check size={16} />
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
