import { redirect } from 'next/navigation';

// The site's root is the portal.
export default function Home(): never {
  redirect('/portal');
}
