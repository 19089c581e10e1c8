// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-uml core: eventfds that call into a bus driver when userspace (or
 * KVM, or another device) signals them. vfio-pci unmasks INTx through one
 * and writes a BAR through another (ioeventfd).
 *
 * A virqfd sits on the eventfd's wait queue. A signal runs @handler in
 * the waker's context (any context, the eventfd's wait queue lock held:
 * it must not signal an eventfd); when it returns nonzero, @thread runs
 * from a work item. Closing the eventfd (EPOLLHUP) or
 * uvfio_virqfd_disable() takes the virqfd down from a work item of our
 * own queue; whoever clears the owner's pointer under virqfd_lock queues
 * that work, so it is queued once.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "uvfio.h"
#include "uvfio_private.h"

/**
 * struct uvfio_virqfd - an eventfd watched for a bus driver
 * @eventfd: the eventfd (a reference of ours)
 * @handler: called on each signal, in the waker's context
 * @thread: called from @inject when @handler asked for it
 * @opaque: first argument of both
 * @data: second argument of both
 * @pvirqfd: the owner's pointer to us, cleared when we go away
 * @wait: our entry on the eventfd's wait queue
 * @pt: poll table used once to get @wait queued
 * @inject: runs @thread
 * @shutdown: takes us off the wait queue and frees us
 * @flush_inject: waits for @inject, from our queue
 */
struct uvfio_virqfd {
	struct eventfd_ctx *eventfd;
	int (*handler)(void *opaque, void *data);
	void (*thread)(void *opaque, void *data);
	void *opaque;
	void *data;
	struct uvfio_virqfd **pvirqfd;
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct inject;
	struct work_struct shutdown;
	struct work_struct flush_inject;
};

static struct workqueue_struct *virqfd_wq;
static DEFINE_SPINLOCK(virqfd_lock);

static void virqfd_fire(struct uvfio_virqfd *virqfd)
{
	if (virqfd->handler && !virqfd->handler(virqfd->opaque, virqfd->data))
		return;
	if (virqfd->thread)
		schedule_work(&virqfd->inject);
}

/* Context: virqfd_lock held. */
static void virqfd_detach(struct uvfio_virqfd *virqfd)
{
	*virqfd->pvirqfd = NULL;
	queue_work(virqfd_wq, &virqfd->shutdown);
}

static int virqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			 int sync, void *key)
{
	struct uvfio_virqfd *virqfd = container_of(wait, struct uvfio_virqfd,
						   wait);
	__poll_t events = key_to_poll(key);
	unsigned long flags;
	u64 cnt;

	if (events & EPOLLIN) {
		/* Consumed here: the eventfd is ours, no one else reads it. */
		eventfd_ctx_do_read(virqfd->eventfd, &cnt);
		virqfd_fire(virqfd);
	}

	if (events & EPOLLHUP) {
		/* The eventfd is being closed; disable may have been first. */
		spin_lock_irqsave(&virqfd_lock, flags);
		if (*virqfd->pvirqfd == virqfd)
			virqfd_detach(virqfd);
		spin_unlock_irqrestore(&virqfd_lock, flags);
	}
	return 0;
}

static void virqfd_queue_proc(struct file *file, wait_queue_head_t *wqh,
			      poll_table *pt)
{
	struct uvfio_virqfd *virqfd = container_of(pt, struct uvfio_virqfd, pt);

	add_wait_queue(wqh, &virqfd->wait);
}

static void virqfd_shutdown(struct work_struct *work)
{
	struct uvfio_virqfd *virqfd = container_of(work, struct uvfio_virqfd,
						   shutdown);
	u64 cnt;

	eventfd_ctx_remove_wait_queue(virqfd->eventfd, &virqfd->wait, &cnt);
	flush_work(&virqfd->inject);
	eventfd_ctx_put(virqfd->eventfd);
	kfree(virqfd);
}

static void virqfd_inject(struct work_struct *work)
{
	struct uvfio_virqfd *virqfd = container_of(work, struct uvfio_virqfd,
						   inject);

	virqfd->thread(virqfd->opaque, virqfd->data);
}

static void virqfd_flush_inject(struct work_struct *work)
{
	struct uvfio_virqfd *virqfd = container_of(work, struct uvfio_virqfd,
						   flush_inject);

	flush_work(&virqfd->inject);
}

/**
 * uvfio_virqfd_enable() - call a driver when an eventfd is signalled
 * @opaque: first argument of @handler and @thread
 * @handler: runs on each signal in the signaller's context (may be NULL);
 *	returns nonzero to have @thread run
 * @thread: runs from a work item (may be NULL)
 * @data: second argument of @handler and @thread
 * @pvirqfd: where the driver keeps the virqfd; must be NULL
 * @fd: the eventfd
 *
 * A signal already pending on @fd counts as one that arrives now.
 *
 * Return: 0; -EBADF when @fd is not open, -EINVAL when it is no eventfd,
 * -EBUSY when *@pvirqfd is taken, -ENOMEM.
 */
int uvfio_virqfd_enable(void *opaque, int (*handler)(void *, void *),
			void (*thread)(void *, void *), void *data,
			struct uvfio_virqfd **pvirqfd, int fd)
{
	struct uvfio_virqfd *virqfd;
	struct eventfd_ctx *ctx;
	__poll_t events;
	struct file *file;
	int ret;

	virqfd = kzalloc(sizeof(*virqfd), GFP_KERNEL_ACCOUNT);
	if (!virqfd)
		return -ENOMEM;
	virqfd->handler = handler;
	virqfd->thread = thread;
	virqfd->opaque = opaque;
	virqfd->data = data;
	virqfd->pvirqfd = pvirqfd;
	INIT_WORK(&virqfd->inject, virqfd_inject);
	INIT_WORK(&virqfd->shutdown, virqfd_shutdown);
	INIT_WORK(&virqfd->flush_inject, virqfd_flush_inject);

	file = fget(fd);
	if (!file) {
		ret = -EBADF;
		goto out_free;
	}
	ctx = eventfd_ctx_fileget(file);
	if (IS_ERR(ctx)) {
		ret = PTR_ERR(ctx);
		goto out_fput;
	}
	virqfd->eventfd = ctx;

	spin_lock_irq(&virqfd_lock);
	if (*pvirqfd) {
		spin_unlock_irq(&virqfd_lock);
		ret = -EBUSY;
		goto out_ctx;
	}
	*pvirqfd = virqfd;
	spin_unlock_irq(&virqfd_lock);

	init_waitqueue_func_entry(&virqfd->wait, virqfd_wakeup);
	init_poll_funcptr(&virqfd->pt, virqfd_queue_proc);
	events = vfs_poll(file, &virqfd->pt);
	if (events & EPOLLIN)
		virqfd_fire(virqfd);

	/* Held until now: a close before this point would miss EPOLLHUP. */
	fput(file);
	return 0;

out_ctx:
	eventfd_ctx_put(ctx);
out_fput:
	fput(file);
out_free:
	kfree(virqfd);
	return ret;
}

/**
 * uvfio_virqfd_disable() - stop watching an eventfd
 * @pvirqfd: where the driver keeps the virqfd (may hold NULL)
 *
 * Returns once the virqfd is freed and its @thread finished, whether this
 * call or the eventfd's close took it down.
 *
 * Context: may sleep; must not hold locks that @thread takes.
 */
void uvfio_virqfd_disable(struct uvfio_virqfd **pvirqfd)
{
	unsigned long flags;

	spin_lock_irqsave(&virqfd_lock, flags);
	if (*pvirqfd)
		virqfd_detach(*pvirqfd);
	spin_unlock_irqrestore(&virqfd_lock, flags);
	flush_workqueue(virqfd_wq);
}

/**
 * uvfio_virqfd_flush_thread() - wait for a running @thread
 * @pvirqfd: where the driver keeps the virqfd (may hold NULL)
 *
 * Lets a driver replace what @thread uses and know the old one is unused.
 */
void uvfio_virqfd_flush_thread(struct uvfio_virqfd **pvirqfd)
{
	unsigned long flags;

	spin_lock_irqsave(&virqfd_lock, flags);
	if (*pvirqfd && (*pvirqfd)->thread)
		queue_work(virqfd_wq, &(*pvirqfd)->flush_inject);
	spin_unlock_irqrestore(&virqfd_lock, flags);
	flush_workqueue(virqfd_wq);
}

int __init uvfio_virqfd_init(void)
{
	virqfd_wq = alloc_ordered_workqueue("uvfio-virqfd", 0);
	return virqfd_wq ? 0 : -ENOMEM;
}

void uvfio_virqfd_exit(void)
{
	destroy_workqueue(virqfd_wq);
}
